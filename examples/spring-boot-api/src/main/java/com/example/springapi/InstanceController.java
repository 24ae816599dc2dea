package com.example.springapi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/instance}: which instance answered. SecurityConfig requires the admin credentials. */
@RestController
class InstanceController {

    private final Environment environment;

    InstanceController(Environment environment) {
        this.environment = environment;
    }

    @GetMapping("/api/instance")
    Map<String, Object> instance() {
        String hostname = hostname();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instanceId", environment.getProperty("INSTANCE_ID", hostname));
        body.put("availabilityZone", environment.getProperty("AVAILABILITY_ZONE"));
        body.put("hostname", hostname);
        return body;
    }

    static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
