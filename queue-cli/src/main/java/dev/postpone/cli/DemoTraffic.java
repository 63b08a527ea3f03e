package dev.postpone.cli;

import dev.postpone.DeferOptions;
import dev.postpone.JobRequest;
import dev.postpone.Postpone;
import dev.postpone.demo.DemoTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** What {@code postpone dashboard --demo} defers every second: a mix of the demo's tasks, some failing, some scheduled. */
final class DemoTraffic implements AutoCloseable {

    private static final String[] NAMES = {"Ada", "Grace", "Edsger", "Barbara", "Ken", "Margaret", "Linus", "Frances", "Donald", "Radia"};
    private final Thread thread;

    private DemoTraffic(Thread thread) {
        this.thread = thread;
    }

    static DemoTraffic start(Postpone client) {
        Thread t = Thread.ofVirtual().name("postpone-demo-traffic").start(() -> {
            long round = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    client.deferAll(batch(round++));
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | dev.postpone.QueueingLockTakenException e) {
                    // The database may be going away at shutdown; try again next round.
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
        return new DemoTraffic(t);
    }

    private static List<JobRequest<?>> batch(long round) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<JobRequest<?>> jobs = new ArrayList<>();
        for (int i = 0; i < 3 + r.nextInt(8); i++) {
            String name = NAMES[r.nextInt(NAMES.length)];
            jobs.add(JobRequest.of(DemoTasks.SEND_WELCOME_EMAIL, new DemoTasks.WelcomeEmail(name.toLowerCase() + "@example.com", name)));
        }
        for (int i = 0; i < 1 + r.nextInt(3); i++) {
            jobs.add(JobRequest.of(DemoTasks.CHARGE_PAYMENT, new DemoTasks.Payment("order-" + round + "-" + i,
                    100L * (1 + r.nextInt(200)), r.nextInt(12) == 0)));
        }
        if (round % 5 == 0) jobs.add(JobRequest.of(DemoTasks.REBUILD_REPORT, new DemoTasks.Report("daily-sales")));
        if (round % 15 == 0) jobs.add(JobRequest.of(DemoTasks.SLOW_EXPORT, new DemoTasks.Export("customers", 2 + r.nextInt(4))));
        if (round % 10 == 0) {
            jobs.add(JobRequest.of(DemoTasks.SEND_WELCOME_EMAIL, new DemoTasks.WelcomeEmail("later@example.com", "Later"),
                    DeferOptions.defaults().in(Duration.ofMinutes(5 + r.nextInt(60)))));
        }
        return jobs;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(2000);
    }
}
