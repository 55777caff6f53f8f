-- Every instance caches what an application may do (PERMISSION_CACHE_TTL_MS). These triggers
-- announce each change that alters it, on the channel "access_changed" with the application's id,
-- so every listening instance drops its cached entry when the change commits (NOTIFY is
-- transactional), whatever made the change: the API, the CLI or SQL run by hand.
CREATE FUNCTION "notify_access_changed"() RETURNS trigger AS $$
DECLARE
  changed UUID;
BEGIN
  IF TG_TABLE_NAME = 'Application' THEN
    IF TG_OP = 'DELETE' THEN changed := OLD."id"; ELSE changed := NEW."id"; END IF;
  ELSE
    IF TG_OP = 'DELETE' THEN changed := OLD."applicationId"; ELSE changed := NEW."applicationId"; END IF;
  END IF;
  IF changed IS NOT NULL THEN
    PERFORM pg_notify('access_changed', changed::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "RoleAssignment_access_changed"
AFTER INSERT OR UPDATE OR DELETE ON "RoleAssignment"
FOR EACH ROW EXECUTE FUNCTION "notify_access_changed"();

CREATE TRIGGER "Application_access_changed"
AFTER UPDATE OF "enabled", "environmentId" OR DELETE ON "Application"
FOR EACH ROW EXECUTE FUNCTION "notify_access_changed"();
