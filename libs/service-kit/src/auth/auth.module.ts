import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtVerifier, type JwtVerifierOptions } from './jwt-verifier';

export type AuthModuleOptions = JwtVerifierOptions;

// Bearer-token authentication for every route of the app. Services get the public
// key only, so they can verify tokens but never mint one. The key is parsed here, at
// module creation, so a bad key fails the boot rather than the first request.
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const verifier = new JwtVerifier(options);
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: JwtVerifier, useValue: verifier },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
      exports: [JwtVerifier],
    };
  }
}
