import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../authorization/public.decorator.js';
import { ResourceNotFound } from '../errors/domain-error.js';
import { ApiPingOneError } from './api-errors.decorator.js';
import { OpenApiDocument } from './openapi-document.holder.js';
import { docsAsset, docsPage } from './swagger-ui.js';

/** The API's own description, for client generators and for people: public, like the service's other metadata. */
@ApiTags('OpenAPI')
@Controller()
@Public()
export class OpenApiController {
  constructor(private readonly openApi: OpenApiDocument) {}

  @Get('openapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'This OpenAPI 3.1 document' })
  @ApiOkResponse({ description: 'The OpenAPI 3.1 document of the service.', schema: { type: 'object' } })
  document(): string {
    return this.openApi.json;
  }

  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Interactive documentation (Swagger UI)' })
  @ApiOkResponse({
    description: 'An HTML page that shows this document and sends requests from the browser.',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  page(@Req() request: FastifyRequest): string {
    return docsPage(request.url);
  }

  @Get('docs/:asset')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ summary: 'A file of the interactive documentation page' })
  @ApiOkResponse({
    description: 'A stylesheet, script or image of the page.',
    content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } }, 'image/png': {} },
  })
  @ApiPingOneError(404, 'No such file.')
  async asset(@Param('asset') name: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | Buffer> {
    const asset = await docsAsset(name);
    if (!asset) throw new ResourceNotFound('file');
    void reply.type(asset.type);
    return asset.body;
  }
}
