package dev.postpone.example;

// tag::imports[]
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postpone.Postpone;
import dev.postpone.QueueingLockTakenException;
import dev.postpone.Task;
import dev.postpone.TaskSet;
import dev.postpone.admin.JobStatus;
import dev.postpone.retry.RetryPolicy;
import dev.postpone.schema.Migrator;
import dev.postpone.schema.SchemaCheck;
import dev.postpone.worker.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
// end::imports[]

/**
 * A complete small application on Postpone, the one docs/example-application.md walks through: a
 * HikariCP pool, the schema installed from Java, a task, orders placed with their receipt deferred in
 * the same transaction, and an embedded worker that sends the receipts.
 *
 * <p>Run it with {@code java -cp … dev.postpone.example.ShopApp jdbc:postgresql://localhost:5432/shop?user=shop}.
 */
public final class ShopApp {

    private static final Logger log = LoggerFactory.getLogger(ShopApp.class);

    private ShopApp() {
    }

    // tag::tasks[]
    /** What sending a receipt needs, stored as the job's JSON arguments. */
    public record Receipt(long orderId, String email) {}

    public static final Task<Receipt> SEND_RECEIPT = Task.named("send-receipt", Receipt.class)
            .queue("emails")
            .retry(RetryPolicy.exponential(Duration.ofSeconds(1), 5))
            .queueingLockBy(receipt -> "receipt:" + receipt.orderId())   // never two waiting receipts for one order
            .action((context, receipt) ->
                    context.logger().info("receipt of order {} sent to {}", receipt.orderId(), receipt.email()));

    public static final TaskSet TASKS = TaskSet.of(SEND_RECEIPT);
    // end::tasks[]

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://localhost:5432/shop?user=shop";
        try (HikariDataSource dataSource = dataSource(url)) {
            Map<Long, JobStatus> receipts = run(dataSource, List.of("ada@example.com", "grace@example.com"));
            log.info("receipts: {}", receipts);
        }
    }

    // tag::datasource[]
    static HikariDataSource dataSource(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("shop");
        config.setMaximumPoolSize(10);   // the application's connections and the embedded worker's
        return new HikariDataSource(config);
    }
    // end::datasource[]

    /** Installs the schema, starts a worker, places one order per email and waits until their receipts are sent. */
    public static Map<Long, JobStatus> run(DataSource dataSource, List<String> emails) throws Exception {
        // tag::schema[]
        Migrator migrator = Migrator.builder(dataSource).build();   // schema "postpone" unless .schema(…) says otherwise
        migrator.migrate();                                         // applies what is pending; nothing when up to date
        SchemaCheck check = migrator.check();                       // what clients and workers check when they start
        if (!check.ok()) throw new IllegalStateException(check.message());
        // end::schema[]
        createOrdersTable(dataSource);
        // tag::run[]
        try (Postpone postpone = Postpone.builder(dataSource).tasks(TASKS).build();
             Worker worker = Worker.builder(dataSource, TASKS).queues("emails").concurrency(4).start()) {
            List<Long> receipts = new ArrayList<>();
            for (String email : emails) receipts.add(placeOrder(postpone, dataSource, email));
            return postpone.jobs().awaitFinished(receipts, Duration.ofSeconds(30));
        }                                                           // closing the worker lets running jobs finish
        // end::run[]
    }

    // tag::transaction[]
    /** Inserts the order and defers its receipt in one transaction: both exist, or neither does. */
    static long placeOrder(Postpone postpone, DataSource dataSource, String email) throws SQLException, QueueingLockTakenException {
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try {
                long orderId = insertOrder(tx, email);
                long receipt = postpone.defer(tx, SEND_RECEIPT, new Receipt(orderId, email));
                tx.commit();                                        // workers see the job only now
                return receipt;
            } catch (SQLException | QueueingLockTakenException | RuntimeException e) {
                tx.rollback();                                      // and the job goes with the order
                throw e;
            }
        }
    }
    // end::transaction[]

    private static long insertOrder(Connection tx, String email) throws SQLException {
        try (PreparedStatement insert = tx.prepareStatement("insert into shop_orders (email) values (?) returning id")) {
            insert.setString(1, email);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong("id");
            }
        }
    }

    private static void createOrdersTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists shop_orders (id bigserial primary key, email text not null,"
                    + " placed_at timestamptz not null default now())");
        }
    }
}
