// Public surface of the assignment mechanism; the library's entry point re-exports it.
export {
  PartitionAssigner,
  claimScope,
  partitionFenceResource,
  type AssignmentListener,
  type FencingToken,
  type OwnedPartitions,
  type PartitionAssignerOptions,
} from './partition-assigner';
export { checkPartitionFence, fencedPartitionWrite } from './fenced-partition-write';
export {
  Membership,
  membersKey,
  validateGroup,
  validateMemberId,
  type MembershipOptions,
} from './membership';
export { assignAll, moved, ownerOf, partitionOf, partitionsFor } from './rendezvous';
export { NaiveModuloAssigner, type NaiveModuloAssignerOptions } from './naive-modulo-assigner';
// Tests and measurements only: the scenario and verifier that tell the two apart.
export {
  applyItemsTable,
  fencedMember,
  naiveMember,
  scenario as doubleProcessingScenario,
  type Member as ScenarioMember,
  type ScenarioResult,
} from './double-processing-check';
export { PausableTimers } from './pausable-timers';
