-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "ipAddressExposed" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "userAgentExposed" BOOLEAN NOT NULL DEFAULT false;
