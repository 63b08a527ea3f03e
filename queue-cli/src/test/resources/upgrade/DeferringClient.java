import dev.postpone.DeferOptions;
import dev.postpone.Postpone;
import dev.postpone.demo.DemoTasks;

/**
 * An application that only defers: a Postpone client of whatever release's jars are on the class path
 * (the upgrade test runs it with 1.0.0's and with this build's). It defers one demo welcome email every
 * INTERVAL_MS and prints each job's id on stdout, keeping its pool open (alive, as the post guard sees it)
 * until SIGTERM, when it finishes the defer in flight and closes the client.
 *
 * <p>Usage: java -cp postpone.jar:lib/* DeferringClient.java JDBC_URL LABEL INTERVAL_MS
 */
public class DeferringClient {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String label = args[1];
        long intervalMillis = Long.parseLong(args[2]);
        var stopping = new java.util.concurrent.atomic.AtomicBoolean();
        var stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            try {
                stopped.await();
            } catch (InterruptedException ignored) {
            }
        }));
        try (Postpone postpone = Postpone.builder(url).tasks(new DemoTasks().tasks()).build()) {
            System.out.println("client.started " + label);
            for (long n = 1; !stopping.get(); n++) {
                String json = "{\"to\": \"" + label + "-" + n + "@example.com\", \"name\": \"" + label + " " + n + "\"}";
                long id = postpone.deferByName("send-welcome-email", json, DeferOptions.defaults());
                System.out.println(id);
                Thread.sleep(intervalMillis);
            }
        } finally {
            System.out.println("client.stopped " + label);
            stopped.countDown();
        }
    }
}
