// `npm run chaos -- <scenario> (--faults <schedule> | --short) [load options]`: the load
// runner with a fault schedule played against the traffic (see load-tests/src/load/main.ts).
import { exitWith } from '../load/main';

exitWith('chaos');
