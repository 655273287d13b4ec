// Injection tokens of the service: its config. Its providers are classes, their own tokens.
export const WEB_SIMULATOR_CONFIG = Symbol('WEB_SIMULATOR_CONFIG');
