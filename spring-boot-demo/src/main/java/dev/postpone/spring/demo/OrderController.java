package dev.postpone.spring.demo;

import dev.postpone.QueueingLockTakenException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {

    public record NewOrder(String email, long amountCents) {}

    private final Orders orders;

    public OrderController(Orders orders) {
        this.orders = orders;
    }

    @PostMapping("/orders")
    public Orders.Placed place(@RequestBody NewOrder order) throws QueueingLockTakenException {
        return orders.place(order.email(), order.amountCents());
    }
}
