-- The calendar's month grid reads only these columns: with all of them in the index the
-- query never touches the table rows (a month of 1,700 activities in ~2 ms instead of ~10).
-- It starts with (date, start_time), so it also serves every query the old index served.
DROP INDEX activity_date;
CREATE INDEX activity_calendar ON activity
    (date, start_time, end_time, status, unit_id, lead_person_id, series_id, title, id);
