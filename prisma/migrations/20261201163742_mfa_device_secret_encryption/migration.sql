-- AlterTable
ALTER TABLE "MfaDevice" ADD COLUMN     "secretCiphertext" TEXT,
ALTER COLUMN "secret" DROP NOT NULL;
