import { ValidationPipe } from '@nestjs/common';

// Unknown fields are refused rather than silently dropped: a typo in "amountMinor" must
// not turn into a charge of nothing.
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
});
