namespace Ambassadors.Data.Postgres;

/// <summary>
/// PostgreSQL schema for the Orleans ADO.NET providers (clustering, grain storage), written for
/// Microsoft.Orleans.*.AdoNet 10.4.2 with the "Npgsql" invariant. The Orleans packages do not ship SQL: they
/// read their statements from the <c>OrleansQuery</c> table by key and bind named parameters
/// (<c>@DeploymentId</c>, <c>@GrainIdHash</c>, ...), reading result columns by name.
/// </summary>
/// <remarks>
/// <para>
/// The scripts are single command batches, meant for <c>migrationBuilder.Sql(...)</c>. <see cref="CreateScript"/> and
/// <see cref="DropScript"/> are the OrleansTables migration's Up and Down, as it ran: they include the reminder table
/// and queries, which the Renovation migration removes with <see cref="DropRemindersScript"/> (nothing is
/// IRemindable). Keep them as they are, so a fresh database replays the same history. <see cref="CreateScript"/> can
/// be run again safely: tables and indexes use IF NOT EXISTS and the query rows are upserted, so re-running it
/// refreshes the query texts (Renovation's Down relies on that to put the reminder parts back).
/// </para>
/// <para>
/// Identifiers are left unquoted on purpose: Orleans itself runs <c>SELECT QueryKey, QueryText FROM OrleansQuery</c>
/// unquoted, so PostgreSQL folds every name to lower case (orleansquery, querykey, ...), and Npgsql matches the
/// result column names case-insensitively.
/// </para>
/// <para>
/// Design, briefly:
/// <list type="bullet">
/// <item>Every statement stored in OrleansQuery is a single SQL statement; conditional writes are data-modifying
/// CTEs, so each one is atomic without functions or explicit transactions.</item>
/// <item>Membership: one version counter per deployment (OrleansMembershipVersionTable.Version) is the table ETag.
/// Insert and update of a silo row bump that counter only when the caller's version still matches, and change the
/// silo row only when the bump happened. Queries that report success return exactly one boolean row.</item>
/// <item>Grain storage: one row per (service, state name, grain key); Version starts at 1 and increases by one on
/// every write/clear; a write or clear whose expected version does not match changes nothing and returns no row,
/// which Orleans reports as an InconsistentStateException. Orleans passes the state name (not the grain class) as
/// GrainTypeString and builds the key from the grain key only, so two grain classes that share a key and a state
/// name in the same provider share a row: keep state names unique.</item>
/// <item>Reminders: upsert bumps Version (the ETag); range reads compare the signed GrainHash, which is what
/// Orleans expects (it picks ReadRangeRows1Key or ReadRangeRows2Key from the signed order of the bounds).</item>
/// <item>Key columns are text; a key column value longer than roughly 2.5 kB would exceed PostgreSQL's btree entry
/// limit and the write fails.</item>
/// </list>
/// </para>
/// </remarks>
public static class OrleansPostgresSchema
{
    /// <summary>Creates the Orleans tables and indexes and (re)writes the OrleansQuery rows. Safe to run again.</summary>
    public const string CreateScript = @"
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT pk_orleansquery PRIMARY KEY (QueryKey)
);

-- ---------------------------------------------------------------------------------------------------------------
-- Clustering
-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL,
    Version      integer     NOT NULL DEFAULT 0,
    ChangedOn    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_orleansmembershipversiontable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL,
    Address      varchar(45) NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL DEFAULT 0,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT fk_orleansmembershiptable_version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------------------------
-- Grain storage
-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    ServiceId              text        NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NOT NULL DEFAULT '',
    PayloadBinary          bytea       NULL,
    Version                integer     NOT NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_orleansstorage PRIMARY KEY
        (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString, GrainIdExtensionString)
);

-- ---------------------------------------------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    CONSTRAINT pk_orleansreminderstable PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_servicehash ON OrleansRemindersTable (ServiceId, GrainHash);

-- ---------------------------------------------------------------------------------------------------------------
-- Queries read by the providers (keys and parameter names are the Orleans contract)
-- ---------------------------------------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Clustering ----------------------------------------------------------------------------------------------------
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created)
$q$),

('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, ChangedOn = now()
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM OrleansMembershipTable m
          WHERE m.DeploymentId = @DeploymentId AND m.Address = @Address
            AND m.Port = @Port AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), added AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, COALESCE(@SiloName, ''), COALESCE(@HostName, ''),
           @Status, COALESCE(@ProxyPort, 0), @StartTime, @IAmAliveTime
    FROM bumped b
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM added)
$q$),

('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, ChangedOn = now()
    WHERE v.DeploymentId = @DeploymentId
      AND v.Version = @Version
      AND EXISTS (
          SELECT 1 FROM OrleansMembershipTable m
          WHERE m.DeploymentId = @DeploymentId AND m.Address = @Address
            AND m.Port = @Port AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), changed AS (
    UPDATE OrleansMembershipTable m
    SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
    FROM bumped b
    WHERE m.DeploymentId = b.DeploymentId AND m.Address = @Address
      AND m.Port = @Port AND m.Generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM changed)
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),

('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId AND m.Address = @Address
      AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
$q$),

('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$),

('DeleteMembershipTableEntriesKey', $q$
WITH silos AS (
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId
)
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$q$),

-- Status 6 is SiloStatus.Dead.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < @IAmAliveTime
$q$),

-- Grain storage ----------------------------------------------------------------------------------------------------
('ReadFromStorageKey', $q$
SELECT s.PayloadBinary, s.Version
FROM OrleansStorage s
WHERE s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
  AND s.GrainIdN0 = @GrainIdN0 AND s.GrainIdN1 = @GrainIdN1
  AND s.ServiceId = @ServiceId AND s.GrainTypeString = @GrainTypeString
  AND s.GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
$q$),

('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE OrleansStorage s
    SET PayloadBinary = @PayloadBinary, Version = s.Version + 1, ModifiedOn = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
      AND s.GrainIdN0 = @GrainIdN0 AND s.GrainIdN1 = @GrainIdN1
      AND s.ServiceId = @ServiceId AND s.GrainTypeString = @GrainTypeString
      AND s.GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
      AND s.Version = @GrainStateVersion
    RETURNING s.Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString, GrainIdExtensionString,
         PayloadBinary, Version)
    SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, @ServiceId, @GrainTypeString,
           COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT pk_orleansstorage DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM inserted
$q$),

('ClearStorageKey', $q$
UPDATE OrleansStorage s
SET PayloadBinary = NULL, Version = s.Version + 1, ModifiedOn = now()
WHERE s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
  AND s.GrainIdN0 = @GrainIdN0 AND s.GrainIdN1 = @GrainIdN1
  AND s.ServiceId = @ServiceId AND s.GrainTypeString = @GrainTypeString
  AND s.GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
  AND s.Version = @GrainStateVersion
RETURNING s.Version
$q$),

-- Used only by storage providers configured with DeleteStateOnClear = true. The returned value must differ from
-- the expected version for Orleans to accept the delete.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage s
WHERE s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
  AND s.GrainIdN0 = @GrainIdN0 AND s.GrainIdN1 = @GrainIdN1
  AND s.ServiceId = @ServiceId AND s.GrainTypeString = @GrainTypeString
  AND s.GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
  AND s.Version = @GrainStateVersion
RETURNING s.Version + 1
$q$),

-- Reminders ------------------------------------------------------------------------------------------------------
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
    Version = r.Version + 1
RETURNING r.Version
$q$),

('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),

('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),

('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed)
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
";

    /// <summary>
    /// Removes the reminder table and the seven reminder queries <see cref="CreateScript"/> made, leaving clustering and
    /// grain storage as they are.
    /// </summary>
    public const string DropRemindersScript = @"
DROP TABLE IF EXISTS OrleansRemindersTable;
DELETE FROM OrleansQuery
WHERE QueryKey IN ('UpsertReminderRowKey', 'ReadReminderRowsKey', 'ReadReminderRowKey', 'ReadRangeRows1Key',
                   'ReadRangeRows2Key', 'DeleteReminderRowKey', 'DeleteReminderRowsKey');
";

    /// <summary>Removes everything <see cref="CreateScript"/> created.</summary>
    public const string DropScript = @"
DROP TABLE IF EXISTS OrleansMembershipTable;
DROP TABLE IF EXISTS OrleansMembershipVersionTable;
DROP TABLE IF EXISTS OrleansStorage;
DROP TABLE IF EXISTS OrleansRemindersTable;
DROP TABLE IF EXISTS OrleansQuery;
";
}
