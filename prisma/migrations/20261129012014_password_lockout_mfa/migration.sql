-- CreateEnum
CREATE TYPE "PasswordStatus" AS ENUM ('NO_PASSWORD', 'OK', 'MUST_CHANGE_PASSWORD');

-- CreateEnum
CREATE TYPE "MfaDeviceType" AS ENUM ('TOTP');

-- AlterTable
ALTER TABLE "Population" ADD COLUMN     "passwordPolicyId" UUID;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "passwordChangedAt" TIMESTAMPTZ(3),
ADD COLUMN     "passwordHash" TEXT,
ADD COLUMN     "passwordLockedAt" TIMESTAMPTZ(3),
ADD COLUMN     "passwordStatus" "PasswordStatus" NOT NULL DEFAULT 'NO_PASSWORD',
ADD COLUMN     "passwordUnlockAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "PasswordPolicy" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "lockoutFailureCount" INTEGER NOT NULL DEFAULT 5,
    "lockoutDurationSeconds" INTEGER NOT NULL DEFAULT 900,
    "lengthMin" INTEGER NOT NULL DEFAULT 8,
    "lengthMax" INTEGER NOT NULL DEFAULT 255,
    "minCharacters" JSONB,
    "historyCount" INTEGER,
    "historyRetentionDays" INTEGER,
    "maxRepeatedCharacters" INTEGER,
    "excludesCommonlyUsed" BOOLEAN NOT NULL DEFAULT true,
    "excludesProfileData" BOOLEAN NOT NULL DEFAULT true,
    "maxAgeDays" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PasswordHistory" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MfaSettings" (
    "environmentId" UUID NOT NULL,
    "lockoutFailureCount" INTEGER NOT NULL DEFAULT 5,
    "lockoutDurationSeconds" INTEGER NOT NULL DEFAULT 600,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MfaSettings_pkey" PRIMARY KEY ("environmentId")
);

-- CreateTable
CREATE TABLE "MfaDevice" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "type" "MfaDeviceType" NOT NULL,
    "secret" TEXT NOT NULL,
    "lastUsedStep" BIGINT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MfaDevice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PasswordPolicy_environmentId_isDefault_idx" ON "PasswordPolicy"("environmentId", "isDefault");

-- CreateIndex
CREATE UNIQUE INDEX "PasswordPolicy_environmentId_name_key" ON "PasswordPolicy"("environmentId", "name");

-- CreateIndex
CREATE INDEX "PasswordHistory_userId_createdAt_idx" ON "PasswordHistory"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "MfaDevice_environmentId_userId_idx" ON "MfaDevice"("environmentId", "userId");

-- CreateIndex
CREATE INDEX "User_accountStatus_unlockAt_idx" ON "User"("accountStatus", "unlockAt");

-- AddForeignKey
ALTER TABLE "Population" ADD CONSTRAINT "Population_passwordPolicyId_fkey" FOREIGN KEY ("passwordPolicyId") REFERENCES "PasswordPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordPolicy" ADD CONSTRAINT "PasswordPolicy_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordHistory" ADD CONSTRAINT "PasswordHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MfaSettings" ADD CONSTRAINT "MfaSettings_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MfaDevice" ADD CONSTRAINT "MfaDevice_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MfaDevice" ADD CONSTRAINT "MfaDevice_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
