-- CreateEnum
CREATE TYPE "RoleScopeType" AS ENUM ('ENVIRONMENT', 'POPULATION');

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "clientSecretCiphertext" TEXT,
ADD COLUMN     "description" TEXT,
ADD COLUMN     "previousSecretCiphertext" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "previousSecretHash" TEXT,
ADD COLUMN     "previousSecretLastUsedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "SigningKey" ADD COLUMN     "privateJwkEncrypted" TEXT,
ADD COLUMN     "retiredAt" TIMESTAMPTZ(3),
ALTER COLUMN "privateJwk" DROP NOT NULL;

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "applicationId" UUID,
    "userId" UUID,
    "roleId" UUID NOT NULL,
    "scopeType" "RoleScopeType" NOT NULL,
    "scopeId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoleAssignment_environmentId_idx" ON "RoleAssignment"("environmentId");

-- CreateIndex
CREATE INDEX "RoleAssignment_scopeId_idx" ON "RoleAssignment"("scopeId");

-- CreateIndex
CREATE UNIQUE INDEX "RoleAssignment_applicationId_roleId_scopeType_scopeId_key" ON "RoleAssignment"("applicationId", "roleId", "scopeType", "scopeId");

-- CreateIndex
CREATE UNIQUE INDEX "RoleAssignment_userId_roleId_scopeType_scopeId_key" ON "RoleAssignment"("userId", "roleId", "scopeType", "scopeId");

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An assignment belongs to exactly one subject: an application or a user.
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_one_subject" CHECK (num_nonnulls("applicationId", "userId") = 1);

-- Before role assignments, every worker application could do everything in its environment.
-- Keep that: each existing application becomes Environment Admin of its environment.
INSERT INTO "RoleAssignment" ("id", "environmentId", "applicationId", "roleId", "scopeType", "scopeId")
SELECT gen_random_uuid(), "environmentId", "id", 'a3c1e5a0-6f4b-4c3e-9d1a-0e6f1b2c3d01', 'ENVIRONMENT', "environmentId"
FROM "Application";
