-- CreateEnum
CREATE TYPE "EnvironmentType" AS ENUM ('PRODUCTION', 'SANDBOX');

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "description" TEXT,
ADD COLUMN     "licenseId" UUID NOT NULL DEFAULT gen_random_uuid(),
ADD COLUMN     "region" TEXT NOT NULL DEFAULT 'NA',
ADD COLUMN     "type" "EnvironmentType" NOT NULL DEFAULT 'PRODUCTION';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "identityProviderId" UUID;
