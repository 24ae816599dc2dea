package com.example.springapi;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Prints {@code api-server: listening on <address>:<port> as <instanceId>} once the server listens,
 * the line the reference API prints (app/README.md): {@code npm run local} starts each instance
 * with {@code PORT=0} and reads the port the system chose from it.
 */
@Component
class ListeningLine implements ApplicationListener<WebServerInitializedEvent> {

    private final Environment environment;

    ListeningLine(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        String address = address(environment.getProperty("server.address", "0.0.0.0"));
        String instanceId = environment.getProperty("INSTANCE_ID", InstanceController.hostname());
        System.out.println("api-server: listening on " + address + ":" + event.getWebServer().getPort() + " as " + instanceId);
        System.out.flush();
    }

    /** The address as {@code InetAddress.getHostAddress} writes it, as the reference API prints it. */
    private static String address(String configured) {
        try {
            return InetAddress.getByName(configured).getHostAddress();
        } catch (UnknownHostException e) {
            return configured;
        }
    }
}
