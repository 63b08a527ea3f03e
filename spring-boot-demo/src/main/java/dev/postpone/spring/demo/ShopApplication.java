package dev.postpone.spring.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop on Spring Boot and the Postpone starter: {@code POST /orders} saves an order and defers its
 * receipt in one transaction; the embedded worker sends receipts; {@code /actuator/health} includes Postpone.
 * Run it with {@code SPRING_DATASOURCE_URL=jdbc:postgresql://localhost:5432/shop?user=shop}.
 */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
