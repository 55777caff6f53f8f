-- Positions move from a column of "OutboxEvent" (placing an event rewrote its whole row, and every
-- index of the table, and the index of unplaced rows filled with dead entries) to a table of their
-- own, written once per event.

-- CreateTable
CREATE TABLE "OutboxPosition" (
    "position" BIGINT NOT NULL,
    "sequence" BIGINT NOT NULL,

    CONSTRAINT "OutboxPosition_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "OutboxSequencer" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "watermark" BIGINT NOT NULL DEFAULT 0,
    "pendingMax" BIGINT NOT NULL DEFAULT 0,
    "pendingXid" BIGINT NOT NULL DEFAULT 0,
    "lastPosition" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "OutboxSequencer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboxPosition_sequence_key" ON "OutboxPosition"("sequence");

-- AddForeignKey
ALTER TABLE "OutboxPosition" ADD CONSTRAINT "OutboxPosition_sequence_fkey" FOREIGN KEY ("sequence") REFERENCES "OutboxEvent"("sequence") ON DELETE CASCADE ON UPDATE CASCADE;

-- The positions given so far, and the sequencer's state: placed up to the oldest event still
-- unplaced (or every event, when none is).
INSERT INTO "OutboxPosition" ("position", "sequence") SELECT "position", "sequence" FROM "OutboxEvent" WHERE "position" IS NOT NULL;
INSERT INTO "OutboxSequencer" ("id", "watermark", "lastPosition")
SELECT 1,
  coalesce((SELECT min("sequence") - 1 FROM "OutboxEvent" WHERE "position" IS NULL), (SELECT max("sequence") FROM "OutboxEvent"), 0),
  coalesce((SELECT max("position") FROM "OutboxEvent"), 0);

-- An event takes a transaction id before its sequence. The sequencer's watermark relies on it: once
-- every transaction running at a round has finished, no event can appear with a sequence at or below
-- what that round saw. A transaction that took a sequence but no id yet would be invisible to that
-- test (ids are otherwise given at the first row written, after the sequence is taken).
CREATE FUNCTION "outbox_next_sequence"() RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_current_xact_id();
  RETURN nextval('"OutboxEvent_sequence_seq"');
END
$$;
ALTER TABLE "OutboxEvent" ALTER COLUMN "sequence" SET DEFAULT "outbox_next_sequence"();

-- DropIndex
DROP INDEX "OutboxEvent_position_key";

-- AlterTable
ALTER TABLE "OutboxEvent" DROP COLUMN "position";
