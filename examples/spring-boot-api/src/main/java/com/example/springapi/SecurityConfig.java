package com.example.springapi;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic for the admin user, whose name and password come from ADMIN_USERNAME and
 * ADMIN_PASSWORD: the variables api-cluster's boot script writes to the service's environment from
 * SSM Parameter Store. The password is never logged and there is no default: without it the
 * application does not start.
 */
@Configuration
class SecurityConfig {

    /** The lesson's admin user, when ADMIN_USERNAME is unset. */
    static final String DEFAULT_ADMIN_USERNAME = "admin@fake.com";

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/health", "/actuator/health", "/actuator/health/**", "/api/session/counter", "/error")
                        .permitAll()
                        .requestMatchers("/api/instance")
                        .hasRole("ADMIN")
                        .anyRequest()
                        .denyAll())
                .httpBasic(Customizer.withDefaults())
                // Every endpoint is a GET that changes nothing but the caller's own counter.
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    UserDetailsService adminUser(Environment environment) {
        String username = environment.getProperty("ADMIN_USERNAME", DEFAULT_ADMIN_USERNAME);
        String password = environment.getProperty("ADMIN_PASSWORD", "");
        if (password.isEmpty()) {
            throw new IllegalStateException("ADMIN_PASSWORD is required: api-cluster's boot script writes it from SSM Parameter Store");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(
                User.withUsername(username).password(encoder.encode(password)).roles("ADMIN").build());
    }
}
