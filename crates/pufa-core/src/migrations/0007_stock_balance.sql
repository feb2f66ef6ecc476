-- Running balances of the materials ledger: one row per item and store, kept by triggers on
-- every movement written, deleted (also through a deleted record's cascade) or changed.
-- Summing the movements themselves grows with the ledger (1.8 million hand-outs: the stock
-- report took ~25 s, a save with five material lines ~2 s); these rows stay at items × stores
-- (benches/records.rs: a few ms each). The movements remain the truth: the rows are built
-- from them here.

CREATE TABLE stock_balance (
    material_id TEXT NOT NULL REFERENCES material (id) ON DELETE CASCADE,
    store_id    TEXT NOT NULL REFERENCES store (id) ON DELETE CASCADE,
    balance     INTEGER NOT NULL,
    movements   INTEGER NOT NULL,   -- movements in or out of the store; 0 = none left
    PRIMARY KEY (material_id, store_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stock_balance_store ON stock_balance (store_id);

INSERT INTO stock_balance (material_id, store_id, balance, movements)
SELECT material_id, store_id, sum(q), count(*) FROM (
    SELECT material_id, to_store_id AS store_id, quantity AS q FROM stock_movement
     WHERE to_store_id IS NOT NULL
    UNION ALL
    SELECT material_id, from_store_id, -quantity FROM stock_movement
     WHERE from_store_id IS NOT NULL)
GROUP BY material_id, store_id;

CREATE TRIGGER stock_movement_in AFTER INSERT ON stock_movement BEGIN
    INSERT INTO stock_balance (material_id, store_id, balance, movements)
    SELECT NEW.material_id, NEW.to_store_id, NEW.quantity, 1 WHERE NEW.to_store_id IS NOT NULL
    ON CONFLICT (material_id, store_id) DO UPDATE
        SET balance = balance + excluded.balance, movements = movements + 1;
    INSERT INTO stock_balance (material_id, store_id, balance, movements)
    SELECT NEW.material_id, NEW.from_store_id, -NEW.quantity, 1 WHERE NEW.from_store_id IS NOT NULL
    ON CONFLICT (material_id, store_id) DO UPDATE
        SET balance = balance + excluded.balance, movements = movements + 1;
END;

CREATE TRIGGER stock_movement_out AFTER DELETE ON stock_movement BEGIN
    UPDATE stock_balance SET balance = balance - OLD.quantity, movements = movements - 1
     WHERE material_id = OLD.material_id AND store_id = OLD.to_store_id;
    UPDATE stock_balance SET balance = balance + OLD.quantity, movements = movements - 1
     WHERE material_id = OLD.material_id AND store_id = OLD.from_store_id;
END;

CREATE TRIGGER stock_movement_change
AFTER UPDATE OF material_id, quantity, from_store_id, to_store_id ON stock_movement BEGIN
    UPDATE stock_balance SET balance = balance - OLD.quantity, movements = movements - 1
     WHERE material_id = OLD.material_id AND store_id = OLD.to_store_id;
    UPDATE stock_balance SET balance = balance + OLD.quantity, movements = movements - 1
     WHERE material_id = OLD.material_id AND store_id = OLD.from_store_id;
    INSERT INTO stock_balance (material_id, store_id, balance, movements)
    SELECT NEW.material_id, NEW.to_store_id, NEW.quantity, 1 WHERE NEW.to_store_id IS NOT NULL
    ON CONFLICT (material_id, store_id) DO UPDATE
        SET balance = balance + excluded.balance, movements = movements + 1;
    INSERT INTO stock_balance (material_id, store_id, balance, movements)
    SELECT NEW.material_id, NEW.from_store_id, -NEW.quantity, 1 WHERE NEW.from_store_id IS NOT NULL
    ON CONFLICT (material_id, store_id) DO UPDATE
        SET balance = balance + excluded.balance, movements = movements + 1;
END;
