package com.example.springapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The lesson's API as a Spring Boot application: {@code /health} and {@code /actuator/health} for
 * the load balancer, {@code /api/instance} behind HTTP Basic auth, and {@code /api/session/counter}
 * to show why a stateful API needs sticky sessions.
 */
@SpringBootApplication
public class SpringApiApplication {

    /** Starts the application on PORT (default 8082). */
    public static void main(String[] args) {
        SpringApplication.run(SpringApiApplication.class, args);
    }
}
