// This example's test helpers (shared implementation in @loadctl-example/common/testing).
import { exampleTestkit } from '@loadctl-example/common/testing';

export { http } from '@loadctl-example/common/testing';
export const { packageDir, buildPackage, spawnEntry } = exampleTestkit(import.meta.url);
