import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { toConnection } from '../kernel/graphql/connection.js';
import { decodePositionCursor, positionKey } from '../kernel/graphql/cursor.js';
import { CurrentPrincipal } from '../kernel/graphql/request-principal.js';
import { requireUuid } from '../kernel/ids.js';
import type { Principal } from '../kernel/principal.js';
import { AssembliesService } from './assemblies.service.js';
import {
  AppointDelegateInput,
  AssembliesArgs,
  AssemblySeatInput,
  CreateAssemblyInput,
  DelegateVoteInput,
  MotionsArgs,
  RevokeDelegationInput,
  SetAssemblySeatInput,
  UpdateAssemblyInput,
} from './graphql/governance.inputs.js';
import {
  AssemblyConnectionModel,
  AssemblyModel,
  DelegationModel,
  MotionConnectionModel,
  MotionModel,
  SeatModel,
} from './graphql/governance.models.js';
import { MotionsService } from './motions.service.js';

@Resolver(() => AssemblyModel)
export class AssemblyResolver {
  constructor(
    @Inject(AssembliesService) private readonly assembliesService: AssembliesService,
    @Inject(MotionsService) private readonly motionsService: MotionsService,
  ) {}

  @Mutation(() => AssemblyModel, { description: 'Creates an assembly of an organisation or federation (ADMIN).' })
  async createAssembly(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateAssemblyInput,
  ): Promise<AssemblyModel> {
    return AssemblyModel.from(await this.assembliesService.createAssembly(principal, input), 'MEMBER');
  }

  @Mutation(() => AssemblyModel, { description: "Changes an assembly's name, delegation or sharing (ADMIN)." })
  async updateAssembly(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateAssemblyInput,
  ): Promise<AssemblyModel> {
    return AssemblyModel.from(
      await this.assembliesService.updateAssembly(principal, {
        assemblyId: input.assemblyId,
        ...(input.name === undefined || input.name === null ? {} : { name: input.name }),
        ...(input.delegationAllowed === undefined || input.delegationAllowed === null
          ? {}
          : { delegationAllowed: input.delegationAllowed }),
        ...(input.outcomesPublic === undefined || input.outcomesPublic === null
          ? {}
          : { outcomesPublic: input.outcomesPublic }),
      }),
      'MEMBER',
    );
  }

  @Mutation(() => SeatModel, {
    description:
      'Seats a member organisation in a confederal assembly, or changes its weight (ADMIN of the federation).',
  })
  async setAssemblySeat(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SetAssemblySeatInput,
  ): Promise<SeatModel> {
    return SeatModel.from(await this.assembliesService.setSeat(principal, { ...input, weight: BigInt(input.weight) }));
  }

  @Mutation(() => SeatModel, {
    description: 'Removes a seat (ADMIN of the federation); open motions keep their voters.',
  })
  async removeAssemblySeat(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: AssemblySeatInput,
  ): Promise<SeatModel> {
    return SeatModel.from(await this.assembliesService.removeSeat(principal, input));
  }

  @Mutation(() => SeatModel, {
    description:
      "Appoints (or, with null, recalls) a seat's delegate: a member of the seated organisation (its ADMIN).",
  })
  async appointDelegate(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: AppointDelegateInput,
  ): Promise<SeatModel> {
    return SeatModel.from(
      await this.assembliesService.appointDelegate(principal, { ...input, delegateId: input.delegateId ?? null }),
    );
  }

  @Mutation(() => DelegationModel, {
    description:
      'Delegates your vote to another voter of the assembly, for all motions or for one (transitive; your own ' +
      'ballot always overrides it). Replaces your delegation for the same scope.',
  })
  async delegateVote(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DelegateVoteInput,
  ): Promise<DelegationModel> {
    return DelegationModel.from(
      await this.assembliesService.delegate(principal, {
        assemblyId: input.assemblyId,
        fromVoterId: input.fromVoterId ?? null,
        toVoterId: input.toVoterId,
        motionId: input.motionId ?? null,
      }),
    );
  }

  @Mutation(() => DelegationModel, { nullable: true, description: 'Ends your delegation (null when there was none).' })
  async revokeDelegation(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: RevokeDelegationInput,
  ): Promise<DelegationModel | null> {
    const revoked = await this.assembliesService.revokeDelegation(principal, {
      assemblyId: input.assemblyId,
      fromVoterId: input.fromVoterId ?? null,
      motionId: input.motionId ?? null,
    });
    return revoked === null ? null : DelegationModel.from(revoked);
  }

  @Query(() => AssemblyModel, { description: 'An assembly you may see.' })
  async assembly(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AssemblyModel> {
    const { assembly, view } = await this.assembliesService.assembly(principal, requireUuid(id, 'id'));
    return AssemblyModel.from(assembly, view);
  }

  @Query(() => AssemblyConnectionModel, { description: "An organisation's assemblies you may see, oldest first." })
  async assemblies(
    @CurrentPrincipal() principal: Principal,
    @Args() args: AssembliesArgs,
  ): Promise<AssemblyConnectionModel> {
    const rows = await this.assembliesService.assemblies(principal, {
      organizationId: args.organizationId,
      after: decodePositionCursor('assembly', args.after),
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      'assembly',
      (row) => positionKey(row.assembly),
      (row) => AssemblyModel.from(row.assembly, row.view),
    );
  }

  @ResolveField(() => [SeatModel], { description: 'A confederal assembly’s seats; none for a members’ assembly.' })
  async seats(@Parent() assembly: AssemblyModel): Promise<SeatModel[]> {
    return (await this.assembliesService.seats(assembly.id)).map((seat) => SeatModel.from(seat));
  }

  @ResolveField(() => [DelegationModel], {
    description: 'The delegations in force (shown to members; liquid democracy is transparent).',
  })
  async delegations(@Parent() assembly: AssemblyModel): Promise<DelegationModel[]> {
    if (assembly.view !== 'MEMBER') return [];
    return (await this.assembliesService.delegationsInForce(assembly.id)).map((delegation) =>
      DelegationModel.from(delegation),
    );
  }

  @ResolveField(() => MotionConnectionModel, { description: 'Its motions, newest first.' })
  async motions(
    @CurrentPrincipal() principal: Principal,
    @Parent() assembly: AssemblyModel,
    @Args() args: MotionsArgs,
  ): Promise<MotionConnectionModel> {
    const rows = await this.motionsService.motions(principal, {
      assemblyId: assembly.id,
      status: args.status ?? null,
      after: decodePositionCursor('motion', args.after),
      limit: args.first + 1,
    });
    return toConnection(
      rows,
      args.first,
      'motion',
      (row) => positionKey(row.motion),
      (row) => MotionModel.from(row.motion, row.view),
    );
  }
}
