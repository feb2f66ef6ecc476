-- 志愿者人次: the 法律明白人 and 普法志愿者 who took part in a held activity. Optional, 0 when
-- not given, like the other counts of a record (咨询人次, 横幅 …). The running tallies of
-- 0009 do not keep it: the 统计 sums it from the records of the same scope and basis.
ALTER TABLE record ADD COLUMN volunteers INTEGER NOT NULL DEFAULT 0 CHECK (volunteers >= 0);
