-- Bank statement lines take their ids as one block per import.
--
-- An import now finds which of a statement's lines are new, takes one block of ids for them (the
-- k-th new line in identity-key order gets the k-th id) and writes them with binary COPY. It takes
-- the block with nextval and moves the sequence to the block's end with setval. With the cache of
-- a thousand that 0013 set (for the id each line used to ask for), that nextval moves the sequence
-- a thousand ahead and a smaller block moves it back, so the sequence would hand out again ids
-- that were cached; without a cache it moves exactly over the block.
ALTER TABLE bank_lines ALTER COLUMN id SET CACHE 1;
