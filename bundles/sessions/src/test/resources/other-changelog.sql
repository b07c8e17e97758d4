--liquibase formatted sql

--changeset elsewhere:1
CREATE TABLE elsewhere (id INT);
