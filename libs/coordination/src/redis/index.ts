export { LuaScript, type RedisClient } from './lua-script';
