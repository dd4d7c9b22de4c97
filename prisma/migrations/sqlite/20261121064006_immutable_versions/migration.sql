-- Hand-written (not produced by `diff`): a stored model version can never be
-- changed, whatever code runs against the database. Deleting (with its model) stays possible.
CREATE TRIGGER "ModelVersion_immutable" BEFORE UPDATE ON "ModelVersion"
BEGIN
    SELECT RAISE(ABORT, 'model versions are immutable');
END;
