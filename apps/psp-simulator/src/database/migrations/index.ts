import { ChargesAndRefunds1760000000000 } from './1760000000000-charges-and-refunds';

export const PSP_SIMULATOR_MIGRATIONS = [ChargesAndRefunds1760000000000];
