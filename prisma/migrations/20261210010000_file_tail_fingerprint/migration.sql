-- The bytes just before a file's checkpoint: their length and SHA-1, written with the offset in
-- each batch's transaction. A worker resuming a file checks them (and the fingerprint of its first
-- bytes) first: a file truncated and written again past the checkpoint, overwritten in place (`cp`
-- over it) or a reused inode was read on from the old offset whenever its first KiB was the same
-- (a long header), skipping the start of the new content. 0 and '' for the rows written before:
-- not checked, until their next batch writes them.
ALTER TABLE "acct_file" ADD COLUMN "tail_len" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "acct_file" ADD COLUMN "tail_fp" TEXT NOT NULL DEFAULT '';
