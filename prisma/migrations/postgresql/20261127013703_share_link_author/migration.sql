-- AlterTable
ALTER TABLE "ShareLink" ADD COLUMN     "author" TEXT NOT NULL DEFAULT '';
