import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { initServiceApp, nestLogLevels } from './create-service-app';

describe('nestLogLevels', () => {
  it('prints the named level and everything more severe', () => {
    expect(nestLogLevels('fatal')).toEqual(['fatal']);
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(nestLogLevels('verbose')).toEqual(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']);
  });
});

describe('initServiceApp', () => {
  it('rejects with the boot error instead of aborting the process', async () => {
    @Injectable()
    class FailsAtInit implements OnModuleInit {
      onModuleInit(): void {
        throw new Error('migrations are behind');
      }
    }
    @Module({ providers: [FailsAtInit] })
    class BrokenModule {}

    await expect(initServiceApp(BrokenModule, { logLevel: 'fatal' })).rejects.toThrow(
      'migrations are behind',
    );
  });
});
