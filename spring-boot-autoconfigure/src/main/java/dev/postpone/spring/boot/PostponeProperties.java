package dev.postpone.spring.boot;

import dev.postpone.admin.JobStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code postpone.*} settings of a Spring Boot application. Every one has a default; the worker's
 * mirror {@link dev.postpone.worker.Worker.Builder}'s.
 */
@ConfigurationProperties("postpone")
public class PostponeProperties {

    private final Schema schema = new Schema();
    private final Client client = new Client();
    private final Worker worker = new Worker();
    private final Health health = new Health();
    private final Dashboard dashboard = new Dashboard();
    /** Tasks deferred on a cron schedule, by key (the key tells several schedules of one task apart). */
    private final Map<String, Periodic> periodic = new LinkedHashMap<>();

    public Schema getSchema() {
        return schema;
    }

    public Client getClient() {
        return client;
    }

    public Worker getWorker() {
        return worker;
    }

    public Health getHealth() {
        return health;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    public Map<String, Periodic> getPeriodic() {
        return periodic;
    }

    /** What the application does with the database schema at start-up. */
    public enum SchemaMigration {
        /** Nothing: the schema must already serve this release (the client and worker check it and refuse otherwise). */
        NONE,
        /**
         * Apply the pending steps up to this release's pre migrations. Never post: a post migration drops
         * what older releases still call, so only an operator runs it, once no older application is left.
         */
        PRE
    }

    public static class Schema {
        /** The PostgreSQL schema Postpone is installed in. */
        private String name = "postpone";
        /** Whether to apply this release's pre migrations at start-up (none or pre). */
        private SchemaMigration migrate = SchemaMigration.NONE;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public SchemaMigration getMigrate() {
            return migrate;
        }

        public void setMigrate(SchemaMigration migrate) {
            this.migrate = migrate;
        }
    }

    public static class Client {
        /** How this application appears in the clients table (default: spring.application.name, else the main class). */
        private String name;
        /** Record the client in the clients table, so a post migration waits for this application. */
        private boolean register = true;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public boolean isRegister() {
            return register;
        }

        public void setRegister(boolean register) {
            this.register = register;
        }
    }

    /** How the worker listens for "jobs are due" notifications. */
    public enum Listener {
        /** pgjdbc, on one connection of the application's DataSource. */
        PGJDBC,
        /** pgjdbc-ng's push listener: needs com.impossibl.pgjdbc-ng:pgjdbc-ng and postpone.worker.listener-url. */
        PGJDBC_NG,
        /** No LISTEN: the worker only polls. */
        NONE
    }

    public static class Worker {
        /** Run a worker in this application. */
        private boolean enabled = true;
        /** Queues to serve (default: all queues). */
        private List<String> queues = new ArrayList<>();
        /** Jobs run at once, each on a virtual thread. */
        private int concurrency = 10;
        /** Most claimed jobs held waiting for a free slot beyond concurrency (0: off); see Worker.Builder.maxPrefetch. */
        private int prefetch = dev.postpone.worker.Worker.DEFAULT_MAX_PREFETCH;
        /** Name in the workers table and logs (default: host, process id and a sequence number). */
        private String name;
        /** How often to look for jobs without a notification. */
        private Duration pollInterval = Duration.ofSeconds(2);
        /** Which driver listens for notifications (pgjdbc, pgjdbc-ng or none). */
        private Listener listener = Listener.PGJDBC;
        /** The database URL the pgjdbc-ng listener connects to (jdbc:pgsql: or jdbc:postgresql:, with its user). */
        private String listenerUrl;
        /**
         * PostgreSQL itself (or a session-pooling PgBouncer) for the worker's LISTEN and housekeeping connections, when
         * spring.datasource goes through a transaction-pooling PgBouncer: a JDBC URL, with spring.datasource's user and
         * password unless it names its own. Without it such a worker polls and is declared dead by its heartbeat alone.
         */
        private String sessionUrl;
        /** How often the worker says it is alive and checks for dead workers. */
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        /** A worker whose heartbeats stop for longer is declared dead and its jobs handed out again. */
        private Duration stalledThreshold = Duration.ofSeconds(30);
        /**
         * How long stopping may take: running jobs get until then, the rest are handed back. Default:
         * spring.lifecycle.timeout-per-shutdown-phase less 5 s, so the worker is done before Spring moves on.
         */
        private Duration shutdownTimeout;
        private final Retention retention = new Retention();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getQueues() {
            return queues;
        }

        public void setQueues(List<String> queues) {
            this.queues = queues;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public int getPrefetch() {
            return prefetch;
        }

        public void setPrefetch(int prefetch) {
            this.prefetch = prefetch;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Listener getListener() {
            return listener;
        }

        public void setListener(Listener listener) {
            this.listener = listener;
        }

        public String getSessionUrl() {
            return sessionUrl;
        }

        public void setSessionUrl(String sessionUrl) {
            this.sessionUrl = sessionUrl;
        }

        public String getListenerUrl() {
            return listenerUrl;
        }

        public void setListenerUrl(String listenerUrl) {
            this.listenerUrl = listenerUrl;
        }

        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }

        public Duration getStalledThreshold() {
            return stalledThreshold;
        }

        public void setStalledThreshold(Duration stalledThreshold) {
            this.stalledThreshold = stalledThreshold;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        public Retention getRetention() {
            return retention;
        }
    }

    /** Which finished jobs the worker's cleaner deletes. */
    public static class Retention {
        /** Finished jobs are deleted this long after they finished. */
        private Duration olderThan = Duration.ofDays(7);
        /** Statuses of the jobs deleted (succeeded, failed, cancelled); empty keeps every job. */
        private Set<JobStatus> statuses = EnumSet.of(JobStatus.SUCCEEDED, JobStatus.CANCELLED);

        public Duration getOlderThan() {
            return olderThan;
        }

        public void setOlderThan(Duration olderThan) {
            this.olderThan = olderThan;
        }

        public Set<JobStatus> getStatuses() {
            return statuses;
        }

        public void setStatuses(Set<JobStatus> statuses) {
            this.statuses = statuses;
        }
    }

    public static class Health {
        /** Report DOWN when more jobs than this wait (todo) in one queue (default: not checked). */
        private Long queueDepthThreshold;

        public Long getQueueDepthThreshold() {
            return queueDepthThreshold;
        }

        public void setQueueDepthThreshold(Long queueDepthThreshold) {
            this.queueDepthThreshold = queueDepthThreshold;
        }
    }

    /** The web dashboard, served by a servlet behind the application's security (a servlet web application only). */
    public static class Dashboard {
        /** Where the dashboard is mounted, e.g. /postpone (default: no dashboard). */
        private String path;
        /** Hide every action (retry, cancel, delete, pause, resume) and refuse them when posted anyway. */
        private boolean readOnly = false;
        /**
         * Serve requests that the application did not authenticate (no user principal), as "anonymous".
         * Only for applications that protect the path some other way (a proxy, a network rule).
         */
        private boolean allowAnonymous = false;
        /** Regular expression of argument field names shown as [secret] (default: password, token, api key, …; empty: none). */
        private String secretFields;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public boolean isReadOnly() {
            return readOnly;
        }

        public void setReadOnly(boolean readOnly) {
            this.readOnly = readOnly;
        }

        public boolean isAllowAnonymous() {
            return allowAnonymous;
        }

        public void setAllowAnonymous(boolean allowAnonymous) {
            this.allowAnonymous = allowAnonymous;
        }

        public String getSecretFields() {
            return secretFields;
        }

        public void setSecretFields(String secretFields) {
            this.secretFields = secretFields;
        }
    }

    /** One periodic task: a task of the application, a cron expression, and its arguments as JSON. */
    public static class Periodic {
        /** Name of the task to defer (a Task bean, a task of a TaskSet bean, or a @PostponeTask method). */
        private String task;
        /** Cron expression: 5 fields (minute first) or 6 (second first). */
        private String cron;
        /** Arguments of every deferred job, as JSON read into the task's argument type. */
        private String args = "null";
        /** Time zone the cron expression is read in. */
        private String zone = "UTC";

        public String getTask() {
            return task;
        }

        public void setTask(String task) {
            this.task = task;
        }

        public String getCron() {
            return cron;
        }

        public void setCron(String cron) {
            this.cron = cron;
        }

        public String getArgs() {
            return args;
        }

        public void setArgs(String args) {
            this.args = args;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }
    }
}
