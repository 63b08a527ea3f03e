package dev.postpone.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * What PostgreSQL itself allows on this machine: the minimal SQL a queue needs per job (insert; claim
 * with FOR UPDATE SKIP LOCKED; mark done), over plain JDBC, on a bare table in a scratch schema.
 * (a) one job per round trip, (b) batched by 100. The queue's own numbers are read against these.
 */
final class CeilingBench {

    static final int BATCH = 100;

    private final DataSource dataSource;
    private final String schema;

    CeilingBench(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    void createTable() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("create table " + schema + ".ceiling_jobs (id bigint generated always as identity primary key,"
                    + " queue text not null, args jsonb not null, status text not null default 'todo',"
                    + " attempts int not null default 0) with (fillfactor = 85)");
            st.execute("create index ceiling_todo on " + schema + ".ceiling_jobs (id) where status = 'todo'");
        }
    }

    private void truncate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("truncate " + schema + ".ceiling_jobs");
            st.execute("vacuum analyze " + schema + ".ceiling_jobs");
        }
    }

    /** Inserts per second, one per round trip from one connection: what a single defer call is compared with. */
    double insertOneByOne(int jobs) throws Exception {
        truncate();
        String insert = "insert into " + schema + ".ceiling_jobs (queue, args) values ('bench', '{}') returning id";
        return run(jobs, 1, 1, c -> {
            try (PreparedStatement i = c.prepareStatement(insert); ResultSet rs = i.executeQuery()) {
                rs.next();
            }
        });
    }

    /** Jobs per second, one job per round trip (three round trips per job). */
    double oneByOne(int jobs, int connections) throws Exception {
        truncate();
        String insert = "insert into " + schema + ".ceiling_jobs (queue, args) values ('bench', '{}')";
        String claim = "update " + schema + ".ceiling_jobs set status = 'doing', attempts = attempts + 1 where id ="
                + " (select id from " + schema + ".ceiling_jobs where status = 'todo' order by id limit 1 for update skip locked)"
                + " returning id";
        String done = "update " + schema + ".ceiling_jobs set status = 'done' where id = ?";
        return run(jobs, connections, 1, c -> {
            try (PreparedStatement i = c.prepareStatement(insert); PreparedStatement cl = c.prepareStatement(claim);
                 PreparedStatement d = c.prepareStatement(done)) {
                i.executeUpdate();
                try (ResultSet rs = cl.executeQuery()) {
                    while (rs.next()) {
                        d.setLong(1, rs.getLong(1));
                        d.executeUpdate();
                    }
                }
            }
        });
    }

    /** Jobs per second, 100 jobs per statement. */
    double batched(int jobs, int connections) throws Exception {
        truncate();
        String insert = "insert into " + schema + ".ceiling_jobs (queue, args) select 'bench', '{}' from generate_series(1, " + BATCH + ")";
        String claim = "update " + schema + ".ceiling_jobs set status = 'doing', attempts = attempts + 1 where id in"
                + " (select id from " + schema + ".ceiling_jobs where status = 'todo' order by id limit " + BATCH
                + " for update skip locked) returning id";
        String done = "update " + schema + ".ceiling_jobs set status = 'done' where id = any (?)";
        return run(jobs, connections, BATCH, c -> {
            try (PreparedStatement i = c.prepareStatement(insert); PreparedStatement cl = c.prepareStatement(claim);
                 PreparedStatement d = c.prepareStatement(done)) {
                i.executeUpdate();
                List<Long> ids = new ArrayList<>(BATCH);
                try (ResultSet rs = cl.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
                d.setArray(1, c.createArrayOf("int8", ids.toArray()));
                d.executeUpdate();
            }
        });
    }

    private interface Round {
        void run(Connection c) throws SQLException;
    }

    private double run(int jobs, int connections, int perRound, Round round) throws Exception {
        AtomicInteger remaining = new AtomicInteger(jobs / perRound);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long started = System.nanoTime();
            for (int t = 0; t < connections; t++) {
                futures.add(pool.submit(() -> {
                    try (Connection c = dataSource.getConnection()) {
                        while (remaining.getAndDecrement() > 0) round.run(c);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            double seconds = (System.nanoTime() - started) / 1e9;
            return (jobs / perRound) * perRound / seconds;
        } finally {
            pool.shutdownNow();
        }
    }
}
