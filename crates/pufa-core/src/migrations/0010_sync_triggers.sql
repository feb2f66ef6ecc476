-- Migration 0010 as released: the sync triggers of the exchanged tables and their children.
-- Generated once from sync.rs; frozen.
CREATE TRIGGER IF NOT EXISTS town_sync_edit AFTER UPDATE ON town
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE town SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS town_sync_delete AFTER DELETE ON town
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('town', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS unit_sync_edit AFTER UPDATE ON unit
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE unit SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS unit_sync_delete AFTER DELETE ON unit
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('unit', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS person_sync_edit AFTER UPDATE ON person
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE person SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS person_sync_delete AFTER DELETE ON person
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('person', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS material_sync_edit AFTER UPDATE ON material
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE material SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS material_sync_delete AFTER DELETE ON material
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('material', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS store_sync_edit AFTER UPDATE ON store
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE store SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS store_sync_delete AFTER DELETE ON store
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('store', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS stock_movement_sync_edit AFTER UPDATE ON stock_movement
             WHEN (SELECT applying FROM sync_clock) = 0 AND NEW.kind <> 'handout' AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE stock_movement SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS stock_movement_sync_delete AFTER DELETE ON stock_movement
             WHEN (SELECT applying FROM sync_clock) = 0 AND OLD.kind <> 'handout' AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('stock_movement', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS campaign_sync_edit AFTER UPDATE ON campaign
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE campaign SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS campaign_sync_delete AFTER DELETE ON campaign
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('campaign', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS activity_series_sync_edit AFTER UPDATE ON activity_series
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE activity_series SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS activity_series_sync_delete AFTER DELETE ON activity_series
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('activity_series', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS activity_sync_edit AFTER UPDATE ON activity
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE activity SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS activity_sync_delete AFTER DELETE ON activity
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('activity', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS record_sync_edit AFTER UPDATE ON record
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE record SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS record_sync_delete AFTER DELETE ON record
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('record', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS attachment_sync_edit AFTER UPDATE ON attachment
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND NEW.hlc IS OLD.hlc AND NEW.base_hlc IS OLD.base_hlc
                  AND NEW.sync_seq IS OLD.sync_seq
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 UPDATE attachment SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock) WHERE id = NEW.id;
             END;
             CREATE TRIGGER IF NOT EXISTS attachment_sync_delete AFTER DELETE ON attachment
             WHEN (SELECT applying FROM sync_clock) = 0 AND 1 AND OLD.hlc IS NOT NULL
             BEGIN
                 UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                 INSERT OR REPLACE INTO sync_tombstone (entity, id, hlc, base_hlc, sync_seq)
                 VALUES ('attachment', OLD.id, (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), OLD.base_hlc, (SELECT seq FROM sync_clock));
             END;
CREATE TRIGGER IF NOT EXISTS record_campaign_sync_in AFTER INSERT ON record_campaign WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM record WHERE id = NEW.record_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE record SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = NEW.record_id;
                 END;

             CREATE TRIGGER IF NOT EXISTS record_campaign_sync_out AFTER DELETE ON record_campaign WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM record WHERE id = OLD.record_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE record SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = OLD.record_id;
                 END;
CREATE TRIGGER IF NOT EXISTS stock_movement_sync_in AFTER INSERT ON stock_movement WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM record WHERE id = NEW.record_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE record SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = NEW.record_id;
                 END;

             CREATE TRIGGER IF NOT EXISTS stock_movement_sync_out AFTER DELETE ON stock_movement WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM record WHERE id = OLD.record_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE record SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = OLD.record_id;
                 END;
CREATE TRIGGER IF NOT EXISTS stock_movement_sync_change AFTER UPDATE ON stock_movement WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM record WHERE id = NEW.record_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE record SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = NEW.record_id;
                 END;
CREATE TRIGGER IF NOT EXISTS activity_campaign_sync_in AFTER INSERT ON activity_campaign WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM activity WHERE id = NEW.activity_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE activity SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = NEW.activity_id;
                 END;

             CREATE TRIGGER IF NOT EXISTS activity_campaign_sync_out AFTER DELETE ON activity_campaign WHEN (SELECT applying FROM sync_clock) = 0 AND (SELECT hlc FROM activity WHERE id = OLD.activity_id) IS NOT NULL
                 BEGIN
                     UPDATE sync_clock SET ms = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) WHEN counter >= 9999 THEN ms + 1 ELSE ms END, counter = CASE WHEN CAST(unixepoch('subsec') * 1000 AS INTEGER) > ms THEN 0 WHEN counter >= 9999 THEN 0 ELSE counter + 1 END, seq = seq + 1;
                     UPDATE activity SET hlc = (SELECT printf('%013d-%04d-%s', ms, counter,
             coalesce((SELECT value FROM settings WHERE key = 'device_id'), '')) FROM sync_clock), sync_seq = (SELECT seq FROM sync_clock)
                     WHERE id = OLD.activity_id;
                 END;
