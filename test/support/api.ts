import type { Server } from 'node:http';
import request, { type Test } from 'supertest';
import type { ResponseContract } from './contract.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

/**
 * Requests to the application under test, each a supertest `Test`. Every response is checked
 * against the OpenAPI document once the test's own expectations have run: an operation, a status
 * or a body the document does not declare fails the request, so no test has to remember it.
 */
export type Api = Record<Method, (path: string) => Test>;

export function checkedApi(server: Server, contract: ResponseContract, headers: Record<string, string> = {}): Api {
  const agent = request(server);
  const api = {} as Api;
  for (const method of METHODS) {
    api[method] = (path: string) => {
      const test = agent[method](path);
      for (const [name, value] of Object.entries(headers)) void test.set(name, value);
      return checkedAgainst(contract, test);
    };
  }
  return api;
}

/** Adds the contract check as the request's last expectation, when it is sent. */
function checkedAgainst(contract: ResponseContract, test: Test): Test {
  const end = test.end.bind(test);
  test.end = (callback) => {
    void test.expect((response) => {
      const problem = contract.problem(test.method, test.url, response);
      if (problem) throw new Error(problem);
    });
    return end(callback);
  };
  return test;
}
