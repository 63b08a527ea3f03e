package dev.postpone.spring.demo;

import dev.postpone.Postpone;
import dev.postpone.QueueingLockTakenException;
import dev.postpone.Task;
import dev.postpone.spring.demo.Receipts.SendReceipt;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Saves orders; each order's receipt job commits, or rolls back, with the order. */
@Service
public class Orders {

    private final JdbcClient jdbc;
    private final Postpone postpone;
    private final Task<SendReceipt> sendReceipt;

    public Orders(JdbcClient jdbc, Postpone postpone, @Qualifier("send-receipt") Task<SendReceipt> sendReceipt) {
        this.jdbc = jdbc;
        this.postpone = postpone;
        this.sendReceipt = sendReceipt;
    }

    /** A saved order and the id of its receipt job. */
    public record Placed(long orderId, long receiptJobId) {}

    /** An invalid email rolls back the order and its receipt job together. */
    @Transactional(rollbackFor = QueueingLockTakenException.class)
    public Placed place(String email, long amountCents) throws QueueingLockTakenException {
        long orderId = jdbc.sql("insert into orders (email, amount_cents) values (?, ?) returning id")
                .params(email, amountCents).query(Long.class).single();
        long jobId = postpone.defer(sendReceipt, new SendReceipt(orderId, email));
        if (!email.contains("@")) throw new IllegalArgumentException("not an email address: " + email);
        return new Placed(orderId, jobId);
    }

    public long count() {
        return jdbc.sql("select count(*) from orders").query(Long.class).single();
    }
}
