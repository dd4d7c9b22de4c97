-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShareLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelVersionId" TEXT NOT NULL,
    "checkRunId" TEXT,
    "scenario" TEXT,
    "step" INTEGER,
    "readOnly" BOOLEAN NOT NULL DEFAULT true,
    "author" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ShareLink_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ShareLink_checkRunId_fkey" FOREIGN KEY ("checkRunId") REFERENCES "CheckRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ShareLink" ("checkRunId", "createdAt", "id", "modelVersionId", "readOnly", "scenario", "step") SELECT "checkRunId", "createdAt", "id", "modelVersionId", "readOnly", "scenario", "step" FROM "ShareLink";
DROP TABLE "ShareLink";
ALTER TABLE "new_ShareLink" RENAME TO "ShareLink";
CREATE INDEX "ShareLink_modelVersionId_idx" ON "ShareLink"("modelVersionId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
