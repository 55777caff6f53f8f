-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('OK', 'LOCKED');

-- CreateEnum
CREATE TYPE "LockReason" AS ENUM ('ADMIN', 'PASSWORD', 'MFA');

-- CreateEnum
CREATE TYPE "LifecycleStatus" AS ENUM ('ACCOUNT_OK', 'VERIFICATION_REQUIRED');

-- CreateEnum
CREATE TYPE "VerifyStatus" AS ENUM ('NOT_INITIATED', 'ENABLED', 'DISABLED');

-- CreateTable
CREATE TABLE "Environment" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Population" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Population_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "clientSecretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "kid" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "privateJwk" JSONB NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "populationId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "usernameLower" TEXT NOT NULL,
    "email" TEXT,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "mfaEnabled" BOOLEAN NOT NULL DEFAULT false,
    "accountStatus" "AccountStatus" NOT NULL DEFAULT 'OK',
    "lockReason" "LockReason",
    "lockedAt" TIMESTAMPTZ(3),
    "unlockAt" TIMESTAMPTZ(3),
    "passwordFailureCount" INTEGER NOT NULL DEFAULT 0,
    "mfaFailureCount" INTEGER NOT NULL DEFAULT 0,
    "lifecycleStatus" "LifecycleStatus" NOT NULL DEFAULT 'ACCOUNT_OK',
    "identityProviderType" TEXT NOT NULL DEFAULT 'PING_ONE',
    "verifyStatus" "VerifyStatus" NOT NULL DEFAULT 'NOT_INITIATED',
    "nameGiven" TEXT,
    "nameFamily" TEXT,
    "nameMiddle" TEXT,
    "nameFormatted" TEXT,
    "nameHonorificPrefix" TEXT,
    "nameHonorificSuffix" TEXT,
    "nickname" TEXT,
    "title" TEXT,
    "type" TEXT,
    "locale" TEXT,
    "preferredLanguage" TEXT,
    "timezone" TEXT,
    "mobilePhone" TEXT,
    "primaryPhone" TEXT,
    "externalId" TEXT,
    "photoHref" TEXT,
    "address" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "sequence" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("sequence")
);

-- CreateIndex
CREATE INDEX "Population_environmentId_isDefault_idx" ON "Population"("environmentId", "isDefault");

-- CreateIndex
CREATE UNIQUE INDEX "Population_environmentId_name_key" ON "Population"("environmentId", "name");

-- CreateIndex
CREATE INDEX "Application_environmentId_idx" ON "Application"("environmentId");

-- CreateIndex
CREATE INDEX "User_environmentId_id_idx" ON "User"("environmentId", "id");

-- CreateIndex
CREATE INDEX "User_environmentId_accountStatus_idx" ON "User"("environmentId", "accountStatus");

-- CreateIndex
CREATE INDEX "User_populationId_idx" ON "User"("populationId");

-- CreateIndex
CREATE UNIQUE INDEX "User_environmentId_usernameLower_key" ON "User"("environmentId", "usernameLower");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxEvent_id_key" ON "OutboxEvent"("id");

-- CreateIndex
CREATE INDEX "OutboxEvent_environmentId_sequence_idx" ON "OutboxEvent"("environmentId", "sequence");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_sequence_idx" ON "OutboxEvent"("publishedAt", "sequence");

-- AddForeignKey
ALTER TABLE "Population" ADD CONSTRAINT "Population_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_populationId_fkey" FOREIGN KEY ("populationId") REFERENCES "Population"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxEvent" ADD CONSTRAINT "OutboxEvent_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
