import { CoordinationTables1762000001000 } from './1762000001000-coordination-tables';
import { CrawlsAndFrontier1762000002000 } from './1762000002000-crawls-and-frontier';

export const CRAWLER_MIGRATIONS = [CoordinationTables1762000001000, CrawlsAndFrontier1762000002000];
