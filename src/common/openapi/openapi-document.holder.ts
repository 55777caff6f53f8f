import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The document the running service serves, built once when the application starts
 * (`configureApp`), and its JSON text, serialised once.
 */
@Injectable()
export class OpenApiDocument {
  private published?: { document: OpenAPIObject; json: string };

  publish(document: OpenAPIObject): void {
    this.published = { document, json: JSON.stringify(document) };
  }

  get document(): OpenAPIObject {
    return this.current().document;
  }

  get json(): string {
    return this.current().json;
  }

  private current(): { document: OpenAPIObject; json: string } {
    if (!this.published) throw new Error('The OpenAPI document is published by configureApp before the service starts');
    return this.published;
  }
}
