import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { GroupNestingsController } from './group-nestings.controller.js';
import { GroupNestingsService } from './group-nestings.service.js';
import { GroupPresenter } from './group.presenter.js';
import { GroupsController } from './groups.controller.js';
import { GroupsRepository } from './groups.repository.js';
import { GroupsService } from './groups.service.js';
import { MembershipsRepository } from './memberships.repository.js';
import { UserMembershipsController } from './user-memberships.controller.js';
import { UserMembershipsService } from './user-memberships.service.js';

/** Groups, their nesting, and users' memberships of them (docs/groups.md). */
@Module({
  imports: [EventsModule],
  controllers: [GroupsController, GroupNestingsController, UserMembershipsController],
  providers: [GroupsRepository, MembershipsRepository, GroupsService, GroupNestingsService, UserMembershipsService, GroupPresenter],
})
export class GroupsModule {}
