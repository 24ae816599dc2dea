package com.example.springapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpSession;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.WebUtils;

/**
 * {@code /api/session/counter}: a count kept in this instance's HTTP session (cookie JSESSIONID). It
 * climbs while the same instance answers; another instance starts a new session at 1, which is what
 * sticky sessions (api-cluster:stickiness) prevent.
 */
@RestController
class SessionCounterController {

    private static final String COUNT = "count";

    private final Environment environment;

    SessionCounterController(Environment environment) {
        this.environment = environment;
    }

    @GetMapping("/api/session/counter")
    Map<String, Object> counter(HttpSession session) {
        AtomicInteger count;
        synchronized (WebUtils.getSessionMutex(session)) {
            count = (AtomicInteger) session.getAttribute(COUNT);
            if (count == null) {
                count = new AtomicInteger();
                session.setAttribute(COUNT, count);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session", session.getId());
        body.put("count", count.incrementAndGet());
        body.put("instanceId", environment.getProperty("INSTANCE_ID"));
        return body;
    }
}
