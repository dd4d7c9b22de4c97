-- Hand-written (not produced by `diff`): a stored model version can never be
-- changed, whatever code runs against the database. Deleting (with its model) stays possible.
CREATE FUNCTION "lockstep_model_version_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'model versions are immutable';
END
$$;

CREATE TRIGGER "ModelVersion_immutable" BEFORE UPDATE ON "ModelVersion"
    FOR EACH ROW EXECUTE FUNCTION "lockstep_model_version_immutable"();
