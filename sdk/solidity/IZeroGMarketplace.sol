// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ZeroG's marketplace of models and datasets from the EVM
/// @notice The marketplace pallet (`pallet-marketplace`) as a precompile at
/// `0x0000000000000000000000000000000008030000`: read assets and grants, buy or request access,
/// as an asset's owner, grant, revoke and deliver sealed keys, and as a compute provider, deploy
/// a model on a service. A call acts as its caller;
/// accounts are 32-byte account ids (`IZeroGCompute.accountOf` maps an Ethereum address). Prices
/// are in the chain's native unit and paid from the caller's balance, not with `msg.value`
/// (not payable); state changes revert in `staticcall` and `delegatecall`.
/// @dev A pallet error reverts with `Error(string)` naming it, e.g. `"PriceAboveLimit"`;
/// `"StateChangeDenied"`, `"PrecompileDelegateDenied"`, `"NotPayable"`, `"AmountTooLarge"`,
/// `"UnknownScope"` and `"SealedKeyTooLong"` come from the precompile itself.
interface IZeroGMarketplace {
    /// @notice A registered model or dataset.
    struct Asset {
        bytes32 owner;
        /// 0: model, 1: dataset.
        uint8 kind;
        string name;
        string version;
        /// SPDX license expression.
        string license;
        /// Root and size of the stored file (the ciphertext, when encrypted).
        bytes32 root;
        uint64 size;
        bool encrypted;
        /// 0: public, 1: gated (owner approval), 2: paid.
        uint8 policy;
        uint256 price;
        /// Blocks one purchase lasts.
        uint32 accessPeriod;
        uint32 openGrants;
    }

    /// @notice An account's grant (or request) on an asset.
    struct Grant {
        /// 0: download, 1: compute only.
        uint8 scope;
        /// False for a request the owner has not answered.
        bool granted;
        /// Last block of access (0 for a request).
        uint32 expiresAt;
        /// The x25519 key the content key was sealed to, and the sealed key (empty until
        /// delivered).
        bytes32 recipientKey;
        bytes sealedKey;
    }

    event EncryptionKeyRegistered(address indexed account, bytes32 key);
    event AccessBought(uint64 indexed assetId, address indexed buyer, uint8 scope, uint256 price, uint32 expiresAt);
    event AccessRequested(uint64 indexed assetId, address indexed requester, uint8 scope);
    event AccessGranted(uint64 indexed assetId, bytes32 indexed grantee, uint8 scope, uint32 expiresAt);
    event AccessRevoked(uint64 indexed assetId, bytes32 indexed grantee);
    event KeyDelivered(uint64 indexed assetId, bytes32 indexed grantee);
    event ModelDeployed(uint64 indexed assetId, uint64 indexed serviceId, address provider);

    /// @notice Registers the caller's x25519 public key, which owners seal content keys to.
    function registerEncryptionKey(bytes32 key) external;

    /// @notice Buys `scope` access to paid asset `assetId` for its access period, paying its
    /// price (at most `maxPrice`) to the owner.
    function buyAccess(uint64 assetId, uint8 scope, uint256 maxPrice) external;

    /// @notice Asks the owner of gated asset `assetId` for `scope` access.
    function requestAccess(uint64 assetId, uint8 scope) external;

    /// @notice As the owner, grants `grantee` `scope` access until block `expiresAt`.
    function grantAccess(uint64 assetId, bytes32 grantee, uint8 scope, uint32 expiresAt) external;

    /// @notice As the owner, ends `grantee`'s grant.
    function revokeAccess(uint64 assetId, bytes32 grantee) external;

    /// @notice As the owner, stores the content key sealed to `grantee`'s registered key.
    function deliverKey(uint64 assetId, bytes32 grantee, bytes calldata sealedKey) external;

    /// @notice As the provider of compute service `serviceId`, records that it serves model
    /// `assetId`, which the caller owns, holds an unexpired download grant for, or is public (a
    /// service serving another model stops serving it).
    function deploy(uint64 assetId, uint64 serviceId) external;

    /// @notice Asset `assetId`; reverts with `"UnknownAsset"` if none.
    function asset(uint64 assetId) external view returns (Asset memory);

    /// @notice `account`'s grant on `assetId`; reverts with `"NoGrant"` if none.
    function grantOf(uint64 assetId, bytes32 account) external view returns (Grant memory);

    /// @notice The x25519 key `account` registered, or zero.
    function encryptionKey(bytes32 account) external view returns (bytes32);
}
