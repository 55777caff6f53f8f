-- CreateTable
CREATE TABLE "Group" (
    "id" UUID NOT NULL,
    "environmentId" UUID NOT NULL,
    "populationId" UUID,
    "scopeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "externalId" TEXT,
    "customData" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupMembership" (
    "groupId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupMembership_pkey" PRIMARY KEY ("groupId","userId")
);

-- CreateTable
CREATE TABLE "GroupNesting" (
    "groupId" UUID NOT NULL,
    "parentId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupNesting_pkey" PRIMARY KEY ("groupId","parentId")
);

-- CreateIndex
CREATE INDEX "Group_environmentId_id_idx" ON "Group"("environmentId", "id");

-- CreateIndex
CREATE INDEX "Group_environmentId_name_idx" ON "Group"("environmentId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Group_environmentId_scopeId_name_key" ON "Group"("environmentId", "scopeId", "name");

-- CreateIndex
CREATE INDEX "GroupMembership_userId_groupId_idx" ON "GroupMembership"("userId", "groupId");

-- CreateIndex
CREATE INDEX "GroupNesting_parentId_groupId_idx" ON "GroupNesting"("parentId", "groupId");

-- AddForeignKey
ALTER TABLE "Group" ADD CONSTRAINT "Group_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Group" ADD CONSTRAINT "Group_populationId_fkey" FOREIGN KEY ("populationId") REFERENCES "Population"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupMembership" ADD CONSTRAINT "GroupMembership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupNesting" ADD CONSTRAINT "GroupNesting_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupNesting" ADD CONSTRAINT "GroupNesting_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
