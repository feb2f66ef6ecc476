-- The stock index by material and receiving store leaves out the hand-outs, which receive
-- nothing (to_store_id is NULL) and are most movements: each one written paid for an index
-- entry no query reads (a look-up by material uses stock_material_from, whose first column is
-- the same). Receipts and transfers are found by store as before.
DROP INDEX IF EXISTS stock_material_to;
CREATE INDEX stock_material_to ON stock_movement (material_id, to_store_id)
    WHERE to_store_id IS NOT NULL;
