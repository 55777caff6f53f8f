import { Module } from '@nestjs/common';
import { OpenApiController } from './openapi.controller.js';
import { OpenApiDocument } from './openapi-document.holder.js';

/** Serves the OpenAPI document at /openapi.json and Swagger UI at /docs; `configureApp` publishes the document. */
@Module({
  controllers: [OpenApiController],
  providers: [OpenApiDocument],
  exports: [OpenApiDocument],
})
export class OpenApiModule {}
