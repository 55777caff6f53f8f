-- DropIndex
DROP INDEX "OutboxEvent_environmentId_sequence_idx";

-- DropIndex
DROP INDEX "OutboxEvent_publishedAt_sequence_idx";

-- AlterTable
ALTER TABLE "OutboxEvent" DROP COLUMN "publishedAt",
ADD COLUMN     "actorClientId" TEXT,
ADD COLUMN     "actorUserId" TEXT,
ADD COLUMN     "correlationId" TEXT,
ADD COLUMN     "populationId" UUID,
ADD COLUMN     "position" BIGINT,
ADD COLUMN     "resourceId" UUID,
ADD COLUMN     "resultStatus" TEXT;

-- CreateTable
CREATE TABLE "Subscription" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'ACTIVITY',
    "includedActionTypes" TEXT[],
    "includedPopulationIds" UUID[],
    "includedApplicationIds" UUID[],
    "url" TEXT NOT NULL,
    "headersCiphertext" TEXT,
    "verifyTlsCertificates" BOOLEAN NOT NULL DEFAULT true,
    "signingSecretCiphertext" TEXT NOT NULL,
    "previousSigningSecretCiphertext" TEXT,
    "previousSigningSecretExpiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryCursor" (
    "consumer" TEXT NOT NULL,
    "subscriptionId" UUID,
    "position" BIGINT NOT NULL,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lastErrorAt" TIMESTAMPTZ(3),
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lastDeliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "DeliveryCursor_pkey" PRIMARY KEY ("consumer")
);

-- CreateIndex
CREATE INDEX "Subscription_environmentId_idx" ON "Subscription"("environmentId");

-- CreateIndex
CREATE UNIQUE INDEX "DeliveryCursor_subscriptionId_key" ON "DeliveryCursor"("subscriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxEvent_position_key" ON "OutboxEvent"("position");

-- CreateIndex
CREATE INDEX "OutboxEvent_environmentId_createdAt_sequence_idx" ON "OutboxEvent"("environmentId", "createdAt" DESC, "sequence" DESC);

-- CreateIndex
CREATE INDEX "OutboxEvent_environmentId_resourceId_createdAt_idx" ON "OutboxEvent"("environmentId", "resourceId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryCursor" ADD CONSTRAINT "DeliveryCursor_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Events written before this migration: their filter columns come from their payload, and they get
-- positions in insert order (every one of them committed long ago).
UPDATE "OutboxEvent" SET
  "resourceId" = ("payload" #>> '{resources,0,id}')::uuid,
  "populationId" = ("payload" #>> '{resources,0,population,id}')::uuid,
  "correlationId" = "payload" ->> 'correlationId',
  "actorClientId" = "payload" #>> '{actors,client,id}',
  "actorUserId" = "payload" #>> '{actors,user,id}',
  "resultStatus" = "payload" #>> '{result,status}';

UPDATE "OutboxEvent" AS o SET "position" = s."rn"
FROM (SELECT "sequence", row_number() OVER (ORDER BY "sequence") AS "rn" FROM "OutboxEvent") AS s
WHERE o."sequence" = s."sequence";
