-- A material's quantities are counted in its unit (份, 册 …) and never added across units.
-- So a material always has a unit, and the unit stays what it was once stock has moved in it:
-- changed afterwards, every earlier receipt and hand-out would be read in the new unit. (A
-- different unit is a different material.) The services check both first with a message
-- naming the field; these triggers hold for every other way a row can arrive.
CREATE TRIGGER IF NOT EXISTS material_unit_required BEFORE INSERT ON material
WHEN trim(NEW.unit) = ''
BEGIN
    SELECT RAISE(ABORT, 'material_unit_required');
END;

CREATE TRIGGER IF NOT EXISTS material_unit_kept BEFORE UPDATE OF unit ON material
WHEN NEW.unit IS NOT OLD.unit
 AND (trim(NEW.unit) = ''
      OR EXISTS (SELECT 1 FROM stock_movement WHERE material_id = OLD.id))
BEGIN
    SELECT RAISE(ABORT, 'material_unit_kept');
END;
