-- The real calendar (issue 17): a village's market days (赶集日) as a cycle of the lunar or
-- solar month, in the form the unit form writes ("农历1/4/7", "公历3/6/9"); '' = no market.
-- The school calendar (寒假/暑假) and the holiday table are settings of the data folder.
ALTER TABLE unit ADD COLUMN market_days TEXT NOT NULL DEFAULT '';
