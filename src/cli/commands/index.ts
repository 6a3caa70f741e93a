import type { Command } from '../command.js';
import { apisCreate, apisDelete, apisList, apisShow, apisUpdate, rolesCreate, rolesDelete, rolesList, rolesShow } from './apis.js';
import { audit } from './audit.js';
import { backup } from './backup.js';
import { clientsCreate, clientsDelete, clientsDisable, clientsEnable, clientsList, clientsRotateSecret, clientsShow, clientsUpdate } from './clients.js';
import { familiesList, familiesRevoke } from './families.js';
import { keysEncrypt, keysList, keysRotate } from './keys.js';
import { loginTest } from './login-test.js';
import { migrate } from './migrate.js';
import { usersSendReset, usersVerifyEmail } from './account-mail.js';
import { providersAdd, providersList, providersRemove, usersUnlink } from './providers.js';
import { registrationTokenCreate, registrationTokenList, registrationTokenRevoke } from './registration-tokens.js';
import { webhooksAdd, webhooksList, webhooksRemove, webhooksTest } from './webhooks.js';
import { usersCreate, usersDelete, usersDisable, usersEnable, usersList, usersResetFactors, usersSetPassword, usersShow, usersUpdate } from './users.js';

export const commands: Command[] = [
  migrate,
  usersList,
  usersShow,
  usersCreate,
  usersUpdate,
  usersSetPassword,
  usersDisable,
  usersEnable,
  usersResetFactors,
  usersDelete,
  usersVerifyEmail,
  usersSendReset,
  usersUnlink,
  clientsCreate,
  clientsList,
  clientsShow,
  clientsUpdate,
  clientsRotateSecret,
  clientsDisable,
  clientsEnable,
  clientsDelete,
  keysList,
  keysRotate,
  keysEncrypt,
  providersAdd,
  providersList,
  providersRemove,
  familiesList,
  familiesRevoke,
  webhooksAdd,
  webhooksList,
  webhooksRemove,
  webhooksTest,
  registrationTokenCreate,
  registrationTokenList,
  registrationTokenRevoke,
  apisCreate,
  apisList,
  apisShow,
  apisUpdate,
  apisDelete,
  rolesCreate,
  rolesList,
  rolesShow,
  rolesDelete,
  audit,
  backup,
  loginTest,
];
