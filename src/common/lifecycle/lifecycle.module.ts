import { Global, Module } from '@nestjs/common';
import { Drain } from './drain.js';

/** The shutdown's drain: global, so that configureApp and any feature reach the one instance. */
@Global()
@Module({ providers: [Drain], exports: [Drain] })
export class LifecycleModule {}
